"""Planning a day: the solver's input, plans and their versions, the day's overview."""
