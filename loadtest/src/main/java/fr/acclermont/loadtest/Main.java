package fr.acclermont.loadtest;

public final class Main {
  public static void main(String[] args) {}
}
