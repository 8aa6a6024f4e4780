package dbscan

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// DSN is a parsed scheme://user[:pass]@host:port/db?params. Its String
// never shows the password.
type DSN struct {
	Scheme   string // "mysql" or "postgres"
	User     string
	Password string // "" when none was given
	Host     string
	Port     int
	Database string // "" for all databases (MySQL) or the default (PostgreSQL)
	Params   url.Values
}

// ParseDSN parses a DSN of the given schemes (the first is canonical; e.g.
// "postgres", "postgresql"). defaultPort fills a missing port. Errors never
// contain the password.
func ParseDSN(s string, defaultPort int, schemes ...string) (DSN, error) {
	var d DSN
	scheme, _, ok := strings.Cut(s, "://")
	if !ok {
		return d, fmt.Errorf("%s: want %s://user@host:port/db", redactRaw(s), schemes[0])
	}
	known := false
	for _, sc := range schemes {
		known = known || strings.EqualFold(scheme, sc)
	}
	if !known {
		return d, fmt.Errorf("%s: scheme %q is not %s", redactRaw(s), scheme, strings.Join(schemes, " or "))
	}
	if rest := s[len(scheme)+3:]; strings.LastIndex(rest, "@") > 0 {
		// url.Parse would end the host at the first '/', '?' or '#' and put
		// the rest of the password into the path, and from there into
		// Source names.
		if strings.ContainsAny(rest[:strings.LastIndex(rest, "@")], "/?#") {
			return d, fmt.Errorf("%s: percent-encode '/', '?' and '#' in the user name and password", redactRaw(s))
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		// url errors quote the whole input, password included.
		return d, fmt.Errorf("%s: not a valid URL", redactRaw(s))
	}
	d.Scheme = schemes[0]
	if u.User != nil {
		d.User = u.User.Username()
		d.Password, _ = u.User.Password()
	}
	d.Host = u.Hostname()
	if d.Host == "" {
		d.Host = "127.0.0.1"
	}
	d.Port = defaultPort
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return d, fmt.Errorf("%s: bad port %q", d, p)
		}
		d.Port = n
	}
	d.Database = strings.Trim(u.Path, "/")
	if strings.Contains(d.Database, "/") {
		return DSN{}, fmt.Errorf("%s: want one database name after the host", redactRaw(s))
	}
	d.Params = u.Query()
	return d, nil
}

// Addr is host:port.
func (d DSN) Addr() string { return net.JoinHostPort(d.Host, strconv.Itoa(d.Port)) }

// String is scheme://host:port/db: what reports and Record.Source show. It
// has neither the password nor the user name.
func (d DSN) String() string {
	return d.Scheme + "://" + d.Addr() + "/" + d.Database
}

// TableSource is the Record.Source of a table: scheme://host:port/db/table.
func (d DSN) TableSource(db, table string) string {
	return d.Scheme + "://" + d.Addr() + "/" + db + "/" + table
}

// redactRaw hides the password of an unparsed DSN for error messages.
func redactRaw(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "DSN"
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return s
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + "@" + rest[at+1:]
}

// ResolvePassword fills d.Password when the DSN has none: from file (its
// first line) if given, else from the environment variable env. A password
// still empty is left for the driver (PostgreSQL's ~/.pgpass and PGPASSWORD,
// handled by pgx). Errors name the file, never its content.
func ResolvePassword(d *DSN, file, env string) error {
	if d.Password != "" {
		return nil
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("password file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		d.Password = strings.TrimRight(line, "\r")
		if d.Password == "" {
			return fmt.Errorf("password file %s: first line is empty", file)
		}
		return nil
	}
	if env != "" {
		d.Password = os.Getenv(env)
	}
	return nil
}

// Scrub returns err with every occurrence of secret in its message replaced,
// keeping the chain for errors.Is/As. Drivers should not put passwords in
// errors, but a scan must not depend on that.
func Scrub(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), secret, "xxxxx"), err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
