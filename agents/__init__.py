"""Node logic of the agent: planner, researcher, drafter, critic, analyst, and every prompt."""
