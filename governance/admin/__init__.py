"""Governance in the Wagtail admin (staff only): mandate and governing-body viewsets, the compliance report, the
dashboard panel and who may open them. Registered by ``governance/wagtail_hooks.py``; nothing here registers itself.
"""
