"""Imports: the spreadsheets officials keep (CSV, XLSX) checked row by row and loaded all-or-nothing."""
