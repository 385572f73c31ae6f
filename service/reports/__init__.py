"""Quality status reports (质量状况报告): figures, XLSX workbook, HTML document."""
