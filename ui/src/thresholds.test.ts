import { describe, expect, it } from "vitest";
import { budgetState, parseThresholds } from "./thresholds";

describe("parseThresholds", () => {
  it.each([
    ["80, 100", [80, 100]],
    ["80 % 100", [80, 100]],
    ["80%,100%", [80, 100]],
    ["  50  ", [50]],
    ["50,,75 ,\t100", [50, 75, 100]],
    ["100, 80", [100, 80]],
    ["080", [80]],
    // The core checks the range (1 % to 1000 %) and says so beside the field.
    ["0, 5000", [0, 5000]],
    ["4294967295", [4_294_967_295]],
  ])("reads %j as %j", (text, thresholds) => {
    expect(parseThresholds(text)).toEqual(thresholds);
  });

  it.each(["", "   ", " , % ,"])("reads %j as nothing typed: the core's default", (text) => {
    expect(parseThresholds(text)).toBeNull();
  });

  it.each([
    "80.5",
    "-5",
    "eighty",
    "80, abc",
    "4294967296",
    "99999999999999999999",
    "Infinity",
    "NaN",
    "1e2",
    "0x50",
    "0b11",
    "+80",
    "٨٠",
  ])("refuses %j", (text) => {
    expect(parseThresholds(text)).toBeUndefined();
  });
});

describe("budgetState", () => {
  it("is ok below the first threshold", () => {
    expect(budgetState(0, [80, 100])).toBe("ok");
    expect(budgetState(79, [80, 100])).toBe("ok");
  });

  it("warns from the first threshold, whatever order they come in", () => {
    expect(budgetState(80, [80, 100])).toBe("warning");
    expect(budgetState(99, [80, 100])).toBe("warning");
    expect(budgetState(50, [90, 50])).toBe("warning");
  });

  it("is over from 100 %, also when every threshold is higher", () => {
    expect(budgetState(100, [80, 100])).toBe("over");
    expect(budgetState(250, [80, 100])).toBe("over");
    expect(budgetState(100, [150, 200])).toBe("over");
    expect(budgetState(120, [150, 200])).toBe("over");
  });

  it("with no thresholds, is ok until 100 %", () => {
    expect(budgetState(99, [])).toBe("ok");
    expect(budgetState(100, [])).toBe("over");
  });
});
