package masking_test

import (
	"bytes"
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking"
)

func Example() {
	// In piiscan the key comes from masking.LoadKey(keyFile): --key-file or
	// PIISCAN_KEY. Outputs record key.ID(), never the key.
	key, _ := masking.NewKey(bytes.Repeat([]byte{7}, 32))
	m, err := masking.DefaultPolicy().Compile(key)
	if err != nil {
		panic(err)
	}
	var buf []byte
	for _, v := range []struct {
		t pi.TypeID
		v string
	}{
		{pi.IDCard, "11010519491231002X"},
		{pi.Mobile, "+86 138-1234-5678"},
		{pi.Name, "欧阳娜娜"},
		{pi.Health, "高血压"},
	} {
		buf, _ = m.Mask(buf[:0], "shop.customers", "c", v.t, pi.DefaultGrade(v.t), []byte(v.v))
		rule := m.Rule("shop.customers", "c", v.t, pi.DefaultGrade(v.t))
		fmt.Printf("%-30s %s\n", rule.Name, buf)
	}
	token, _ := m.Mask(nil, "", "", pi.IDCard, pi.GradeSensitive, []byte("11010519491231002X"))
	back, _ := m.Unmask(nil, "", "", pi.IDCard, pi.GradeSensitive, token)
	fmt.Println("unmasked:", string(back), "key", m.KeyID())
	// Output:
	// identifiers-tokenised          110105194704010946
	// identifiers-tokenised          +86 138-5925-9745
	// names-addresses-masked         欧阳**
	// sensitive-categories-replaced  [健康信息]
	// unmasked: 11010519491231002X key 3d45b849
}
