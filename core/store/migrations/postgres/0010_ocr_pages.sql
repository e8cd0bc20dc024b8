-- Pages read by OCR (the local parser's Tesseract): the flag, and the mean word confidence
-- (0-100; NULL when the page was not OCRed), shown in the job's details.
ALTER TABLE parsed_pages ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;
ALTER TABLE parsed_pages ADD COLUMN ocr_confidence INTEGER;
