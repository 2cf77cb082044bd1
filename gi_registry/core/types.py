"""Column types shared by the domains."""

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class EnumText(TypeDecorator):
    """A StrEnum stored as its plain value (portable, readable in SQL), read back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: object, dialect) -> str | None:  # noqa: ANN001
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect) -> StrEnum | None:  # noqa: ANN001
        return None if value is None else self.enum_class(value)
