"""Planning from a survey (托位规划): projection of children, capacity plan, cost-sharing model."""
