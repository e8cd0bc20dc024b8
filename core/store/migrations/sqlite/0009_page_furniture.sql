-- What a PDF page printed around its text and the parser took out of it (running headers and
-- footers, page numbers), one line each: shown in the job's details, never chunked.
ALTER TABLE parsed_pages ADD COLUMN furniture TEXT NOT NULL DEFAULT '';
