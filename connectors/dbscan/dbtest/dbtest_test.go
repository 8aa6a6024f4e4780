package dbtest

import (
	"math/rand/v2"
	"testing"
)

// Known-good values from the standards' own examples.
func TestGeneratorsMatchPublishedExamples(t *testing.T) {
	// GB 11643-1999's example number.
	if got := checkID("11010519491231002"); got != 'X' {
		t.Errorf("ID check of 11010519491231002 = %c, want X", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		id := IDNumber(r)
		if len(id) != 18 || checkID(id[:17]) != id[17] {
			t.Fatalf("bad ID %s", id)
		}
		card := BankCard(r)
		if len(card) != 19 || !luhn(card) {
			t.Fatalf("bad card %s", card)
		}
	}
	if !luhn("4111111111111111") || luhn("4111111111111112") {
		t.Error("luhn reference")
	}
}

func checkID(body string) byte {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i, c := range body {
		s += int(c-'0') * w[i]
	}
	return "10X98765432"[s%11]
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
