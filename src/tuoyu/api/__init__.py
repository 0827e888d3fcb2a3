"""The REST API's shared parts (接口): token authentication, the error shape, pagination,
throttling, the one router and the schema/docs URLs. Each domain app owns its resources in
``tuoyu/<app>/api/`` (serializers, views, urls) and lists them in ``ROUTES``.
"""
