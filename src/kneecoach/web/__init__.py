"""The web app: FastAPI with server-rendered pages over the same services as the CLI."""
