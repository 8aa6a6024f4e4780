package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/deid"
	"github.com/piiscan/piiscan/internal/atomicfile"
	"github.com/piiscan/piiscan/masking"
)

type maskFlags struct {
	inputFlags
	policy      string
	keyFile     string
	printPolicy bool
	summary     string
	noVerify    bool
	db          copyFlags
}

func newMaskCmd() *cobra.Command {
	var f maskFlags
	cmd := &cobra.Command{
		Use:   "mask [--policy P.yaml] IN OUT",
		Short: "Write a de-identified copy of a file, directory, SQL dump or database",
		Long: `Write a copy of IN to OUT with every detected PI value de-identified by the
policy (--policy; without it the built-in default policy: ID numbers, mobiles
and bank cards tokenised into valid-looking values, names and addresses masked,
sensitive categories replaced, credentials removed; see --print-default-policy).

IN and OUT are files ("-" for stdin/stdout), directories (every file is masked
to the same relative path under OUT), or database DSNs (mysql://… or
postgres://…) for a database-to-database copy. Everything that is not a detected
value is copied byte for byte; compression and encoding are kept. OUT is written
to a temporary file and renamed only when complete and verified; IN is never
written.

Keys for tokenize, hash and shift_date come from --key-file (readable by its
owner only) or PIISCAN_KEY, never from the policy; the key ID (not the key) is
printed in the summary so the right key can be found to unmask.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.printPolicy {
				return nil
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.printPolicy {
				_, err := cmd.OutOrStdout().Write(masking.DefaultPolicyYAML())
				return err
			}
			return runMask(cmd.Context(), args[0], args[1], &f, false, cmd.ErrOrStderr())
		},
	}
	addMaskFlags(cmd, &f)
	addCopyFlags(cmd.Flags(), &f.db)
	cmd.Flags().BoolVar(&f.printPolicy, "print-default-policy", false, "print the built-in policy (a starting point for your own) and exit")
	return cmd
}

func addMaskFlags(cmd *cobra.Command, f *maskFlags) {
	fl := cmd.Flags()
	f.inputFlags.add(fl)
	fl.StringVar(&f.policy, "policy", "", "masking policy YAML (default: the built-in policy)")
	fl.StringVar(&f.keyFile, "key-file", "", "file holding the 32-byte key, hex or base64 (default: $PIISCAN_KEY)")
	fl.StringVar(&f.summary, "summary", "", "write the job summary (counts, rules, key ID; never values) as JSON to this file")
	fl.BoolVar(&f.noVerify, "no-verify", false, "do not re-read the output to check its record count")
}

func runMask(ctx context.Context, in, out string, f *maskFlags, unmask bool, stderr io.Writer) error {
	pol := masking.DefaultPolicy()
	if f.policy != "" {
		var err error
		if pol, err = masking.LoadPolicy(f.policy); err != nil {
			return usageErr("%v", err)
		}
	}
	key, err := masking.LoadKey(f.keyFile)
	if err != nil && !errors.Is(err, masking.ErrNoKey) {
		return usageErr("%v", err)
	}
	m, err := pol.Compile(key)
	if err != nil {
		return usageErr("%v", err)
	}
	if unmask && f.scanDate == "" {
		// A token keeps its birth date in the original's window, which for
		// a birth in the last few years may end after today: to unmask, an
		// ID number dated up to ten years ahead is still an ID number.
		f.scanDate = time.Now().AddDate(10, 0, 0).Format("2006-01-02")
	}
	set, err := f.detectorSet(0)
	if err != nil {
		return err
	}
	// A rule naming a type no detector reports (a typo: cn_idcard) would
	// silently leave that type to a later rule or unmasked.
	for _, r := range pol.Rules {
		for _, t := range r.Types {
			if !slices.Contains(set.Types(), t) {
				return usageErr("policy %s: rule %q names type %q, which no detector reports (piiscan types lists them)", f.policy, r.Name, t)
			}
		}
	}
	if isDSN(in) || isDSN(out) {
		if unmask {
			return usageErr("unmask works on files; unmask a database by dumping it first")
		}
		if !isDSN(in) || !isDSN(out) {
			return usageErr("a database copy needs two DSNs (IN and OUT)")
		}
		return runCopy(ctx, in, out, m, key, set, f, stderr)
	}
	opts := deid.FileOptions{
		Masker: m, Detectors: set, Workers: f.workers, NoVerify: f.noVerify, Unmask: unmask,
		Input: f.fileOptions(),
	}
	pairs, err := maskPairs(in, out, f)
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	var sums []*deid.Summary
	var failed error
	for _, p := range pairs {
		if p.out != "-" {
			if err := os.MkdirAll(filepath.Dir(p.out), 0o700); err != nil {
				return &exitError{code: exitInput, err: err}
			}
		}
		sum, err := deid.MaskFile(ctx, p.in, p.out, opts)
		if sum != nil {
			sums = append(sums, sum)
			var null string
			if sum.Nulled+sum.NullAsEmpty > 0 {
				// null inside a longer value, in CSV or in text leaves
				// an empty string, not NULL: say how often.
				null = fmt.Sprintf(", null: %d NULL, %d empty", sum.Nulled, sum.NullAsEmpty)
			}
			if sum.KeysUnique > 0 {
				// Their rule would have made duplicate keys.
				null += fmt.Sprintf(", %d JSON keys tokenised to stay distinct", sum.KeysUnique)
			}
			done := "masked"
			if unmask {
				done = "restored"
				if sum.NotRestored > 0 {
					// Hash pseudonyms and masked values: copied as they are.
					null += fmt.Sprintf(", %d not restored (hashed or masked: irreversible)", sum.NotRestored)
				}
			}
			fmt.Fprintf(stderr, "piiscan: %s → %s: %d records, %d values, %d %s values (%d spans)%s, key %s\n",
				sum.Source, sum.Output, sum.Records, sum.Values, sum.ValuesMasked, done, sum.Masked, null, keyLabel(sum.KeyID))
			if sum.QuotedBare > 0 && err == nil { // a refused copy wrote nothing
				fmt.Fprintf(stderr, "piiscan: %s: %d bare numbers written as quoted strings (their masked form is not a number): numeric SQL columns need tokenize or hash with output: digits, or a non-strict load\n",
					sum.Output, sum.QuotedBare)
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "piiscan:", err)
			failed = err
			if ctx.Err() != nil {
				break
			}
		}
	}
	if f.summary != "" {
		b, _ := json.MarshalIndent(sums, "", "  ")
		if err := atomicfile.Write(f.summary, append(b, '\n'), 0o644); err != nil {
			return &exitError{code: exitInput, err: err}
		}
	}
	if failed != nil {
		return &exitError{code: exitInput, err: fmt.Errorf("not every input was masked")}
	}
	return nil
}

func keyLabel(id string) string {
	if id == "" {
		return "none"
	}
	return id
}

type maskPair struct{ in, out string }

// maskPairs maps IN to OUT: a file to a file, a directory to the same files
// under OUT.
func maskPairs(in, out string, f *maskFlags) ([]maskPair, error) {
	if in == "-" {
		return []maskPair{{in, out}}, nil
	}
	st, err := os.Stat(in)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if ost, err := os.Stat(out); err == nil && ost.IsDir() {
			out = filepath.Join(out, filepath.Base(in))
		}
		return []maskPair{{in, out}}, nil
	}
	if out == "-" {
		return nil, fmt.Errorf("%s is a directory: OUT must be a directory too", in)
	}
	if within(out, in) {
		return nil, fmt.Errorf("OUT %s is inside IN %s: the copy would be masked again", out, in)
	}
	src, err := connectors.Open([]string{in}, connectors.Options{Include: f.include, Exclude: f.exclude})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var pairs []maskPair
	for _, p := range src.Names() {
		rel, err := filepath.Rel(in, p)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, maskPair{p, filepath.Join(out, rel)})
	}
	return pairs, nil
}

// within reports whether path is dir or lies below it (".hidden" children
// included; "../x" siblings not).
func within(path, dir string) bool {
	ap, err1 := filepath.Abs(path)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ad, ap)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
