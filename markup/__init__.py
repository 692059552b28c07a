"""Turn glossary source files into safe HTML and find their defects, without Django."""
