package com.acme;

import org.example.fraud.FraudScore;
import shared.Tiny;

/** Uses a class of each execution, so the build compiles only if each output directory is a source root. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.out.println(FraudScore.SCHEMA + "\n" + Rings.SCHEMA + "\n" + Tiny.SCHEMA);
    }
}
