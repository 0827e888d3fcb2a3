"""Error codes of the API layer (``API-0xx``), registered in the shared catalogue.

Domain errors keep their own codes (``FIL-001``, ``GEN-001`` …); these codes cover what
only the HTTP layer knows: authentication, malformed input, throttling, unknown routes.
"""

from tuoyu.core.errors import register

API_NOT_AUTHENTICATED = register(
    "API-001", "需要登录或提供有效的接口令牌。", "Sign in or send a valid API token."
)
API_TOKEN_INVALID = register(
    "API-002", "接口令牌无效或已撤销。", "The API token is invalid or has been revoked."
)
API_FORBIDDEN = register("API-003", "您无权执行此操作。", "You are not allowed to do this.")
API_NOT_FOUND = register("API-004", "资源不存在或无权查看。", "Not found, or you may not see it.")
API_INVALID = register("API-005", "输入无效：{detail}", "Invalid input: {detail}")
API_METHOD = register(
    "API-006", "此处不支持 {method} 请求方法（可用：{allowed}）。",
    "Method {method} is not allowed here (allowed: {allowed})."
)
API_THROTTLED = register(
    "API-007", "请求过于频繁，请{wait}秒后再试。", "Too many requests; try again in {wait} s."
)
API_UNSUPPORTED = register(
    "API-008", "不支持的请求格式：{detail}", "Unsupported request format: {detail}"
)
API_NOT_ACCEPTABLE = register(
    "API-009", "无法提供所请求的响应格式（可用：{available}）。",
    "The requested response format is not available (available: {available}).",
)
API_PARSE = register("API-010", "请求内容无法解析：{detail}", "The request body could not be read: {detail}")
API_CSRF = register(
    "API-011",
    "会话请求须带 CSRF 令牌：{detail}",
    "A session request must carry a CSRF token: {detail}",
)
API_USER_UNKNOWN = register("API-012", "用户不存在：{username}", "No such user: {username}")
API_PAGE_INVALID = register(
    "API-013",
    "页码参数 {param} 须为从 1 起的整数（或 last）。",
    "The {param} parameter must be a whole number from 1 up (or last).",
)
API_ERROR = register("API-099", "请求失败：{detail}", "The request failed: {detail}")
