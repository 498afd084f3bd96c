"""GitLab event handlers, one module per event, composed into one router."""

from gidgetlab.routing import Router

from handlers import issue, merge_request, note, pipeline, push

router = Router(push.router, merge_request.router, note.router, pipeline.router, issue.router)
