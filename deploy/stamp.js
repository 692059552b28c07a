// The content stamp for nginx's cache key (deploy/nginx.conf): the token the app's write service replaces in
// GLOSSARY_GENERATION_FILE on every write (core/generation.py), read on each request. A key holding it changes with
// every save, so nginx never answers from a page stored before the save. A missing file gives an empty stamp: pages
// are then kept and revalidated by their Cache-Control alone (s-maxage), as without this script.
import fs from 'fs';

function read(r) {
    try {
        return fs.readFileSync(r.variables.glossary_stamp_file, 'utf8').slice(0, 64);
    } catch (e) {
        return '';
    }
}

export default {read};
