"""The web page for the people who publish, and its API (`profilecheck serve`).

Starlette on uvicorn; installed with the `web` extra. It sits above `batch`, whose executor
checks each upload under the per-file limits, and below `cli`, which only starts it.
"""
