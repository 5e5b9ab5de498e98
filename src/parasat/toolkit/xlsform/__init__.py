"""XLSForm import and export: the spreadsheet format of ODK, KoboToolbox,
SurveyCTO and Ona. pyxform decides what is a valid form; Parasat keeps every
column and sheet it does not use so that export gives them back."""
