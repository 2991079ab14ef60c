package web

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
)

// openAPI is the API's OpenAPI 3.1 document: the one description of every route, checked
// against the router and against real responses by the tests.
//
//go:embed openapi.json
var openAPI []byte

var apiDocsPage = page("apidocs.html")

// apiDoc is the part of the document the human-readable page shows.
type apiDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title, Version, Description string
	} `json:"info"`
	Paths      map[string]map[string]apiOp `json:"paths"`
	Components struct {
		Parameters map[string]apiParam                     `json:"parameters"`
		Responses  map[string]struct{ Description string } `json:"responses"`
	} `json:"components"`
}

type apiOp struct {
	Summary, Description string
	Parameters           []apiParam
	Responses            map[string]struct {
		Ref         string `json:"$ref"`
		Description string
	}
}

type apiParam struct {
	Ref         string `json:"$ref"`
	Name, In    string
	Required    bool
	Description string
}

type docOp struct {
	ID, Method, Path, Summary, Description string
	Params                                 []apiParam
	Responses                              []struct{ Status, Description string }
}

type apiDocsData struct {
	pageData
	Doc        apiDoc
	Paragraphs []string
	Ops        []docOp
}

// apiDocData flattens the document for the page: operations by path, references resolved.
func apiDocData() (apiDoc, []docOp, error) {
	var d apiDoc
	if err := json.Unmarshal(openAPI, &d); err != nil {
		return d, nil, err
	}
	var ops []docOp
	for path, methods := range d.Paths {
		for method, op := range methods {
			o := docOp{Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Description: op.Description}
			o.ID = strings.NewReplacer("/", "-", "{", "", "}", "", ".", "-").Replace(strings.ToLower(o.Method) + path)
			for _, p := range op.Parameters {
				if p.Ref != "" {
					p = d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
				}
				o.Params = append(o.Params, p)
			}
			for status, r := range op.Responses {
				desc := r.Description
				if r.Ref != "" {
					desc = d.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")].Description
				}
				o.Responses = append(o.Responses, struct{ Status, Description string }{status, desc})
			}
			sort.Slice(o.Responses, func(i, j int) bool { return o.Responses[i].Status < o.Responses[j].Status })
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return d, ops, nil
}

// apiDocRoutes serves the document and its page. The page's content is read from the
// embedded document once, here at start-up; only the footer's dataset note is per request.
func (s *Server) apiDocRoutes(r chi.Router) {
	doc, ops, err := apiDocData()
	if err != nil {
		panic("web: the embedded openapi.json does not parse: " + err.Error())
	}
	paragraphs := strings.Split(doc.Info.Description, "\n\n")
	r.Get("/api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Write(openAPI)
	})
	r.With(s.pageHeaders).Get("/api/docs", func(w http.ResponseWriter, r *http.Request) {
		d := apiDocsData{pageData: s.basePage(s.src.Current(), "API"), Doc: doc, Ops: ops, Paragraphs: paragraphs}
		s.render(w, r, apiDocsPage, http.StatusOK, d)
	})
}
