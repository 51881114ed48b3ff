// TEMPORARY placeholder until the real p-value module lands; NOT to be committed.
#if canImport(Glibc)
import Glibc
#endif
public enum KSPValueMethod: String, Sendable { case exact, asymptotic }
public enum TwoSampleKSPValue {
    public enum Mode: Sendable { case auto, exact, asymptotic }
    public static func pValue(d: Double, n1: Int, n2: Int, mode: Mode = .auto) -> (p: Double, method: KSPValueMethod) {
        let en = Double(n1) * Double(n2) / Double(n1 + n2)
        let x = d * en.squareRoot()
        var s = 0.0
        for k in 1...100 { s += 2 * (k % 2 == 1 ? 1 : -1) * exp(-2 * Double(k * k) * x * x) }
        return (min(1, max(0, s)), .asymptotic)
    }
}
