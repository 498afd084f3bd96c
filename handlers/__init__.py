"""GitLab event handlers, one module per event, composed into one router."""

from gidgetlab.routing import Router

from handlers import merge_request, note, pipeline, push

router = Router(push.router, merge_request.router, note.router, pipeline.router)
