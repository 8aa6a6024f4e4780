// Package masking de-identifies PI values: operators (mask, redact,
// replace, null, generalize, hash, tokenize, shift_date), a YAML policy that
// picks one per value by type, column and grade, and the keys the keyed
// operators use. Sample renders the short masked samples findings show.
//
// operators are pure functions of (value, key, parameters): the same value
// with the same key gives the same output in every file, table and run, so
// joins still match. They append to dst, like strconv.Append*, so a caller
// streaming records reuses one buffer. Keyed operators keep hash and cipher
// state and are not safe for concurrent use: Clone a Masker per goroutine.
package masking

import (
	"errors"
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Operator transforms one value of type t, appending the result to dst. On
// error dst is returned unchanged.
type Operator interface {
	Apply(dst []byte, t pi.TypeID, value []byte) ([]byte, error)
}

// Reverser is an Operator that can be undone with the key (tokenize).
type Reverser interface {
	Operator
	Reverse(dst []byte, t pi.TypeID, value []byte) ([]byte, error)
}

// SubjectOperator is an Operator whose output also depends on the record's
// subject (the person the row is about), such as shift_date.
type SubjectOperator interface {
	Operator
	ApplySubject(dst []byte, t pi.TypeID, subject, value []byte) ([]byte, error)
}

// cloner is implemented by operators with per-goroutine state.
type cloner interface{ clone() Operator }

func cloneOp(op Operator) Operator {
	if c, ok := op.(cloner); ok {
		return c.clone()
	}
	return op
}

// ErrNull is returned by the null operator: the value is to become NULL.
// dst is returned unchanged. What NULL is depends on where the value is,
// and the caller decides (deid): a database column's NULL; in an SQL dump
// the keyword NULL, unquoted, and in JSON the literal null, unquoted, when
// the value is the whole of a quoted or bare value; an empty field in CSV,
// which has no NULL; the empty string in text and logs (null works as
// redact there), and wherever the value is only part of a larger one (a
// phone number inside a note), since NULL there would change the rest of
// the value or break the statement. Masking summaries count both outcomes.
var ErrNull = errors.New("masking: value becomes NULL")

// ErrUnsupported means an operator has no rule for a value's type or shape
// (generalize of a name, shift_date of a non-date). Policies fall back.
var ErrUnsupported = errors.New("masking: operator does not apply to this value")

// Redact removes the value.
type Redact struct{}

func (Redact) Apply(dst []byte, _ pi.TypeID, _ []byte) ([]byte, error) { return dst, nil }

// Null turns the value into NULL: it returns ErrNull.
type Null struct{}

func (Null) Apply(dst []byte, _ pi.TypeID, _ []byte) ([]byte, error) { return dst, ErrNull }

// Replace writes Text, or, when Text is empty, the type's tag such as
// [身份证号].
type Replace struct{ Text string }

func (r Replace) Apply(dst []byte, t pi.TypeID, _ []byte) ([]byte, error) {
	if r.Text != "" {
		return append(dst, r.Text...), nil
	}
	return AppendTag(dst, t), nil
}

// typeLabels are the Chinese names used in replacement tags.
var typeLabels = map[pi.TypeID]string{
	pi.IDCard: "身份证号", pi.Passport: "护照号", pi.TravelPermit: "通行证号",
	pi.BankCard: "银行卡号", pi.Mobile: "手机号", pi.Landline: "固定电话",
	pi.Email: "电子邮箱", pi.IPv4: "IP地址", pi.IPv6: "IP地址",
	pi.LicensePlate: "车牌号", pi.Name: "姓名", pi.Address: "地址",
	pi.BirthDate: "出生日期", pi.GeoCoordinate: "位置信息", pi.Credential: "口令",
	pi.Health: "健康信息", pi.Religion: "宗教信仰", pi.Ethnicity: "民族",
	pi.SexualOrientation: "性取向", pi.CriminalRecord: "犯罪记录",
	pi.Biometric: "生物识别信息", pi.Minor: "未成年人信息", pi.USCC: "统一社会信用代码",
}

// AppendTag appends the replacement tag of a type: [身份证号], or [type_id]
// for a type without a Chinese label.
func AppendTag(dst []byte, t pi.TypeID) []byte {
	dst = append(dst, '[')
	if l, ok := typeLabels[t]; ok {
		dst = append(dst, l...)
	} else if t != "" {
		dst = append(dst, t...)
	} else {
		dst = append(dst, "个人信息"...)
	}
	return append(dst, ']')
}

func unsupported(op string, t pi.TypeID) error {
	return fmt.Errorf("%w: %s of %s", ErrUnsupported, op, t)
}

// Chain applies operators in turn, each to the previous one's output, like
// transform.Chain: e.g. generalize a date, then hash it. The first error
// stops the chain (ErrNull included) and leaves dst unchanged.
func Chain(ops ...Operator) Operator { return &chain{ops: ops} }

type chain struct {
	ops      []Operator
	tmp, out []byte
}

func (c *chain) clone() Operator {
	ops := make([]Operator, len(c.ops))
	for i, op := range c.ops {
		ops[i] = cloneOp(op)
	}
	return &chain{ops: ops}
}

func (c *chain) Apply(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	if len(c.ops) == 0 {
		return append(dst, v...), nil
	}
	in := v
	for i, op := range c.ops {
		if i == len(c.ops)-1 {
			out, err := op.Apply(dst, t, in)
			if err != nil {
				return dst, err
			}
			return out, nil
		}
		var err error
		if c.out, err = op.Apply(c.out[:0], t, in); err != nil {
			return dst, err
		}
		// The next operator reads what this one wrote: swap the buffers.
		c.tmp, c.out = c.out, c.tmp
		in = c.tmp
	}
	return dst, nil // not reached
}
