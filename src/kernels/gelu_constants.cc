#include "kernels/gelu_constants.h"

namespace hb {

#define HB_REPEAT16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v

// Eigen/XLA's rational erf fit (P and Q in x^2), the GELU constants, then Abramowitz & Stegun
// 7.1.28's coefficients. Constant-initialized.
alignas(64) float g_gelu_erf_constants[kNumGeluErfConstants][16] = {
    {HB_REPEAT16(-2.72614225801306e-10f)},
    {HB_REPEAT16(2.77068142495902e-08f)},
    {HB_REPEAT16(-2.10102402082508e-06f)},
    {HB_REPEAT16(-5.69250639462346e-05f)},
    {HB_REPEAT16(-7.34990630326855e-04f)},
    {HB_REPEAT16(-2.95459980854025e-03f)},
    {HB_REPEAT16(-1.60960333262415e-02f)},
    {HB_REPEAT16(-1.45660718464996e-05f)},
    {HB_REPEAT16(-2.13374055278905e-04f)},
    {HB_REPEAT16(-1.68282697438203e-03f)},
    {HB_REPEAT16(-7.37332916720468e-03f)},
    {HB_REPEAT16(-1.42647390514189e-02f)},
    {HB_REPEAT16(0.70710678118654752440f)},
    {HB_REPEAT16(4.0f)},
    {HB_REPEAT16(-4.0f)},
    {HB_REPEAT16(1.0f)},
    {HB_REPEAT16(2.0f)},
    {HB_REPEAT16(0.5f)},
    {HB_REPEAT16(0.0705230784f)},
    {HB_REPEAT16(0.0422820123f)},
    {HB_REPEAT16(0.0092705272f)},
    {HB_REPEAT16(0.0001520143f)},
    {HB_REPEAT16(0.0002765672f)},
    {HB_REPEAT16(0.0000430638f)},
};

#undef HB_REPEAT16

}  // namespace hb
