"""The ROR-IKT demo profile (``manage.py load_demo``): the site's data, kept out of the reusable add-ons."""
