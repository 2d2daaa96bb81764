package twiliotest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// writeJSON writes a successful reply.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeError(w, &Error{Status: http.StatusInternalServerError, Code: 20500, Message: "fake could not encode its reply: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// formBody reads a POST's form body; Twilio takes nothing else. param is
// the one the error names when the body is not a form.
func formBody(req *request, param string) (url.Values, *Error) {
	mt, _, _ := mime.ParseMediaType(req.r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil, errBadQuery("Missing required parameter " + param + " in the post body: the body must be application/x-www-form-urlencoded, got " + strconv.Quote(shorten(req.r.Header.Get("Content-Type"))))
	}
	form, err := url.ParseQuery(string(req.body))
	if err != nil {
		return nil, errBadQuery("Malformed form body: " + err.Error())
	}
	return form, nil
}

// writePage writes a Messaging API list page: the items under key, and
// meta for the page [start, end) of n.
func writePage(w http.ResponseWriter, key string, items any, meta metaJSON) {
	writeJSON(w, http.StatusOK, map[string]any{key: items, "meta": meta})
}

// writeResult writes out with status, or e when it is not nil.
func writeResult(w http.ResponseWriter, status int, out any, e *Error) {
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, status, out)
}

// writeDeleted writes a DELETE's empty 204, or e when it is not nil.
func writeDeleted(w http.ResponseWriter, e *Error) {
	if e != nil {
		writeError(w, e)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
