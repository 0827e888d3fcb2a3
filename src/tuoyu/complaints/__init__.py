"""Public complaint and feedback channel (畅通反映问题的渠道): intake, tracking, routing, handling, abuse resistance."""
