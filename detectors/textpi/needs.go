package textpi

import "github.com/piiscan/piiscan/detectors/pi"

// Needs: names and addresses are written in ideographs, so a value of ASCII
// alone holds none, whatever its column says (detectors.Needer).
func (d *Detector) Needs(*pi.Field) pi.Classes { return pi.ClassHigh }
