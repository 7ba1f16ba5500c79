"""From stored claims to what happened: series, best estimates, changes, disputes."""
