"""Governance's reader addresses (behind the login, like every reader page), included by the host site before
Wagtail's page tree. Each area keeps its own list; the calendar feeds are the only addresses without a login
(a calendar client cannot log in: the secret per-user key in the address is the credential)."""

from governance.reader import calendar, mandates, meetings, work, yearly_report

urlpatterns = [
    *mandates.urlpatterns,
    *meetings.urlpatterns,
    *calendar.urlpatterns,
    *work.urlpatterns,
    *yearly_report.urlpatterns,
]
