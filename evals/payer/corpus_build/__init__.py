"""Build the payer gold corpus: parse annotated sources, render PDF/DOCX, emit CUAD-layout labels."""
