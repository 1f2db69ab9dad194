"""Background work: reading a bundle's documents (the database-backed worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def compile_documents(sar_id: int, actor_id: int) -> dict[str, int]:
    """Read every document of subject-access case `sar_id` as `actor_id` (an IGO); resumable."""
    from discretion.information_rights.documents import reads

    done = reads.read_documents(actor_id, sar_id)
    return {"documents": done.documents, "pages": done.pages_done, "unreadable": done.documents_failed}
