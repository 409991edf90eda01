"""HTTP handlers, one module per endpoint family: parse and validate a request, call the backend, answer."""
