"""The reader side: the overview built from the data, its exports (PDF, CSV, XLSX, vCard) and the reader views."""
