from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "intranet.demo"
    label = "intranet_demo"
    verbose_name = "ROR-IKT demo"
