"""Downloads: records and lists written as CSV or XLSX."""
