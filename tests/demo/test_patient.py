from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.policy import load_policy


def test_demo_patient_is_the_demo_policys_test_patient():
    patient = demo_patient()
    assert patient == dict(load_policy(demo_policy_path()).test_patients[0].values)
    assert {"first_name", "last_name", "email", "phone", "dob", "reason", "mrn"} <= patient.keys()
