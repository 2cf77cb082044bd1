"""A stored file. Its name on disk is its content hash; the client's name is kept only for display."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from gi_registry.history.models import utcnow


class Document(SQLModel, table=True):
    """An uploaded file and who may read it (its producer and officials, unless public)."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    media_type: str = Field(max_length=40)
    size_bytes: int = Field(ge=1)
    display_name: str = Field(max_length=200)
    owner_producer_id: int | None = Field(default=None, foreign_key="producer.id", index=True)
    renewal_id: int | None = Field(default=None, foreign_key="renewal.id", index=True)
    mark_application_id: int | None = Field(default=None, foreign_key="mark_application.id", index=True)
    site_check_id: int | None = Field(default=None, foreign_key="site_check.id")
    public: bool = False
    uploaded_by: int | None = Field(default=None, foreign_key="user_account.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class DocumentPublic(SQLModel):
    """A document as listed on its application."""

    id: int
    media_type: str
    size_bytes: int
    display_name: str
    sha256: str
    uploaded_at: datetime
