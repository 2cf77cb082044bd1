"""The officials' and administrators' casework pages: each workflow the API offers them, in the browser.

Every page is reached by links from /officials; every form calls the same service function as the API
endpoint of the same workflow, with the same role check, and carries a CSRF token.
"""

from fastapi import APIRouter

from gi_registry.web.casework import accounts, applications, audits, producers, records, reports, usage

router = APIRouter(include_in_schema=False)
for module in (accounts, applications, audits, producers, records, reports, usage):
    router.include_router(module.router)
