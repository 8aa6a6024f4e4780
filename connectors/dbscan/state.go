package dbscan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/piiscan/piiscan/internal/atomicfile"
)

// StateVersion is the format version of a state file.
const StateVersion = 1

// State is an incremental-scan state file: per table the watermark up to
// which rows have been scanned. Keys are Table.Source (no passwords).
type State struct {
	Version int                  `json:"version"`
	Tables  map[string]Watermark `json:"tables"`
}

// Watermark is how far a table has been scanned.
type Watermark struct {
	// Column is the watermark column; a watermark is used only while the
	// table's watermark column is still the same.
	Column string `json:"column"`
	// Kind is "key" (integer primary key: Value is the highest key read) or
	// "updated" (an updated-at column: Value is its highest value read, as
	// the server renders it).
	Kind    string    `json:"kind"`
	Value   string    `json:"value"`
	Scanned time.Time `json:"scanned"`
}

// LoadState reads a state file; a missing file is an empty state.
func LoadState(path string) (*State, error) {
	st := &State{Version: StateVersion, Tables: map[string]Watermark{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state file: %w", err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("state file %s: not a piiscan state file: %w", path, err)
	}
	if st.Version != StateVersion {
		return nil, fmt.Errorf("state file %s: version %d, this piiscan reads version %d", path, st.Version, StateVersion)
	}
	if st.Tables == nil {
		st.Tables = map[string]Watermark{}
	}
	return st, nil
}

// Save writes the state atomically: readers, and a later run after a crash,
// see the old file or the new one, never a mix.
func (s *State) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'), 0o644)
}
