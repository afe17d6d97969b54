"""The one router of the API's operations, shared by the read and write modules (a path that
is both read and written must live in one router)."""

from ninja import Router

router = Router()
