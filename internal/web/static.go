package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"

	"github.com/go-chi/chi/v5"
)

// assets are the embedded stylesheets and scripts, addressed by a checksum of their content, so that they
// can be cached forever and a new binary's assets are fetched anew.
type assets struct {
	byName map[string]asset
}

type asset struct {
	sum  string
	body []byte
}

func mustLoadAssets() *assets {
	a := &assets{byName: map[string]asset{}}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		h := sha256.Sum256(b)
		a.byName[e.Name()] = asset{sum: hex.EncodeToString(h[:6]), body: b}
	}
	return a
}

// url is the address of an asset by name.
func (a *assets) url(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return "/static/" + as.sum + "/" + name
}

var assetTypes = map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".svg": "image/svg+xml"}

func (c *Console) serveAsset(w http.ResponseWriter, r *http.Request) {
	as, ok := c.assets.byName[chi.URLParam(r, "name")]
	if !ok || as.sum != chi.URLParam(r, "sum") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", assetTypes[path.Ext(chi.URLParam(r, "name"))])
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+as.sum+`"`)
	if r.Header.Get("If-None-Match") == `"`+as.sum+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(as.body)
}
