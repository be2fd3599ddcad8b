"""Pure clinical rules and value types: no Qt, no database."""
