"""The HTTP service: FastAPI app factory, routers, web page."""
