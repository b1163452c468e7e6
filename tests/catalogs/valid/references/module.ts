import { IDerivation } from "flow/acmeCo/refs/ts.ts";

export class Derivation extends IDerivation {}
