"""Reading spreadsheets and trade tables; project storage."""
