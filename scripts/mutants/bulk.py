"""Mutants of the spreadsheet update and the choosers: whose entries a file may touch, whose upload may be
confirmed, whether a stale review is applied, and what a chooser lists and returns."""

from mutants import M

BR = "faggruppe_pages/upkeep/bulk_rows.py"
BU = "faggruppe_pages/upkeep/bulk.py"
BA = "faggruppe_pages/admin/bulk.py"
CH = "faggruppe_pages/admin/choosers.py"

MUTANTS = [
    M(
        "bulk-ids-of-any-organisation",
        BR,
        'for m in Membership.objects.filter(represents=organisation).select_related("person", "group", "represents")',
        'for m in Membership.objects.all().select_related("person", "group", "represents")',
        "a file's ID column reaches another organisation's entries",
        "bulk_rows.Context.own",
    ),
    M(
        "bulk-upload-of-any-user",
        BA,
        'BulkUpload.objects.select_related("organisation").filter(pk=pk, user=request.user).first()',
        'BulkUpload.objects.select_related("organisation").filter(pk=pk).first()',
        "anyone may review, confirm or cancel another user's upload",
        "UploadOwnerMixin.dispatch",
    ),
    M(
        "bulk-stale-review-applied",
        BU,
        "if fingerprint != upload.fingerprint or fresh.digest != upload.digest or digest != upload.digest:",
        "if False:",
        "a review is applied although the entries changed since (someone else's save is overwritten)",
        "bulk.apply",
    ),
    M(
        "group-chooser-chosen-any-group",
        CH,
        "return choosable_groups(self.request.user).get(pk=pk)",
        "return __import__('faggruppe_pages.models', fromlist=['x']).GroupPage.objects.get(pk=pk)",
        "the group chooser returns a group the user may not choose",
        "GroupChosenView.get_object",
    ),
    M(
        "person-chooser-lists-everyone",
        CH,
        'return choosable_people(self.request.user).filter(anonymised_at__isnull=True).select_related("employer")',
        'return __import__("faggruppe_pages.models", fromlist=["x"]).Person.objects.filter('
        'anonymised_at__isnull=True).select_related("employer")',
        "the person chooser lists and searches every organisation's people",
        "PersonChooseView.get_object_list",
    ),
]
