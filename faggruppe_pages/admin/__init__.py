"""The admin side: viewsets, the guards on Wagtail's generic views, forms, filters, panels and "Våre oppføringer"."""
