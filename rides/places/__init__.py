"""Places in the database: municipalities, named stops, lookup by typed names."""
