from django.apps import AppConfig


class OutboundConfig(AppConfig):
    name = "discretion.outbound"
    label = "outbound"
    verbose_name = "Outbound guard"

    def ready(self) -> None:
        # Keep the finder's index of known people current as records change (policy 1.1).
        from django.db.models.signals import post_delete, post_save

        from discretion.outbound import subjects
        from discretion.records.finder import DETAIL_MODELS
        from discretion.records.finder import PERSON_MODEL as Person
        from discretion.staff.models import Staff

        uid = "discretion.outbound.subjects"
        post_save.connect(subjects.person_saved, sender=Person, dispatch_uid=f"{uid}.person_saved")
        post_delete.connect(subjects.person_deleted, sender=Person, dispatch_uid=f"{uid}.person_deleted")
        for model in DETAIL_MODELS:
            for signal, kind in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(
                    subjects.person_detail_changed,
                    sender=model,
                    dispatch_uid=f"{uid}.{model.__name__}.{kind}",
                )
        for signal, kind in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(subjects.staff_changed, sender=Staff, dispatch_uid=f"{uid}.staff.{kind}")
