"""The application factory, the API assembly and the middleware every response passes through."""
