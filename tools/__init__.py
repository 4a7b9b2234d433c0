"""Research tools: web search, local search index, page fetch, knowledge lookup, competitors."""
